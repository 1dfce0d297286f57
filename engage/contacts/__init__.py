"""Residents who asked to hear back: the list for staff, and its own audited export."""
