"""Response exports: CSV, Excel and JSON, streamed, from the staff pages and the CLI."""
