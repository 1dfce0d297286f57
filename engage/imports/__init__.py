"""Response imports: paper forms and other tools' data, from a CSV or Excel file."""
