"""Report writers: terminal, JSON and explain for one analysis; HTML, Markdown, CSV and WebVTT for coaches."""
