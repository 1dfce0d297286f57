"""The audit log of staff actions: recorded by services, read by administrators."""
