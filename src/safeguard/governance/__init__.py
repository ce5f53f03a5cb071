"""Governance: the review against the inquiries' recommendations (`catalogue`) and the Ofsted
register's judgements and their import (`ofsted`). Pure: no Django."""
