"""Access (*adgang*): who is signed in, with which link, and what they may see and do.

Plain functions over a session and plain values, used by the web app and by compose (action
links). Nothing here imports FastAPI.
"""
