"""Slack alert action for aws_cryptomining (see docs/slack.md); entry point bin/cryptomining_slack.py."""
