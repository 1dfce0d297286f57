"""Outreach: tracked links per source, their QR codes, and printable flyers."""
