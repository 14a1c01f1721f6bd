"""Build library for the aws_cryptomining Splunk app (used by package.py and the tests; never shipped)."""
