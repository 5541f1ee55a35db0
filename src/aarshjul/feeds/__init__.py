"""Calendar feeds (iCalendar) for Outlook and other calendars: tokens, queries, the feeds.

Import from the submodules: :mod:`aarshjul.feeds.ical_feed` (the feeds, imports icalendar),
:mod:`aarshjul.feeds.feed_tokens` (people's secret feed tokens; no icalendar, so the CLI's
``person feed-url`` stays fast).
"""
