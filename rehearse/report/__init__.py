"""Report writers: terminal and JSON."""
