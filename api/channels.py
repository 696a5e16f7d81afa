"""How a job came in through the API, as the job records it (`Job.channel`): one constant per
way in, both registered in jobs/channels.py."""

API = "api"
EXTENSION = "extension"
