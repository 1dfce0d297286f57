"""Workgroups: who reviews which campaigns (administration pages and services)."""
