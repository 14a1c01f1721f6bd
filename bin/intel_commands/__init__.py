"""Logic of the app's custom search commands (miningpool, ipcontext): pure stdlib + vendored libraries.

Kept apart from the splunklib command classes so that the logic is testable and the scripts stay thin.
"""
