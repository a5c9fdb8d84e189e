"""The suggestion kinds, one module each, listed in ivraudit/suggest/registry.py."""
