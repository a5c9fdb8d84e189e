"""Fuzzing ivraudit end to end: mutated menus and configs through the command line."""
