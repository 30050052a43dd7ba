"""The kanban board of a programme."""
