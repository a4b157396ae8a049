"""Running Askwell in production: `askwell serve`, `askwell backup`, `askwell restore`."""
