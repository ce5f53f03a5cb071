"""Data subjects' rights and retention: a subject-access export of one person (every record
held, every agency, and who viewed it, with third parties redacted) and the retention job that
removes what is past the retention schedule (`safeguard.governance.retention`)."""
