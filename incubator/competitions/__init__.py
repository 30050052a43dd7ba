"""Competition templates (KIPP), entries written against them, and the coordinators' table."""
