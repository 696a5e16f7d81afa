"""How a job came in through the API, as the job records it: one constant per way in.

The tracker records a job's way in as `Job.source`, whose choices have no value for the API or
the extension yet; the nearest ones stand in until `Job.channel` (a plain string) replaces it.
"""

API = "manual"
EXTENSION = "bookmarklet"
