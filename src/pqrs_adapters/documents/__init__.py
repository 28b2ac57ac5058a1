"""Official letters typeset as PDF: HTML and CSS templates (sandboxed Jinja) laid out by WeasyPrint."""
