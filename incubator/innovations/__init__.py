"""Innovations: the profile page, milestones, progress updates, milestone templates."""
