"""Mentoring: mentor assignments, feedback threads, rapid assessments, "My mentees".

Views live in views.py (mentors, mentees), feedback_views.py and
assessment_views.py, all on the `mentoring` blueprint of blueprint.py, which
also gives templates what the innovation page's partials need.
"""
