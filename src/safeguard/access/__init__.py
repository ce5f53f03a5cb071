"""The one access policy: who may do what, decided by pure functions, denying by default.

Pages, the API and the CLI all ask here (`safeguard.access.policy`); nothing else decides. The
policy never touches the database: callers describe the actor and the target, and record the
decision it returns (with its reason) in the audit.
"""
