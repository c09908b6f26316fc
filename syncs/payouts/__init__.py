"""Payouts reconciled in Business Central: stage provider payouts, match, book, report.

providers/     one module per payment provider behind one interface (base.PayoutProvider)
staging.py     provider payouts -> Payout / PayoutTransaction rows
matching.py    charges and refunds -> the BC invoices and credit memos they belong to
posting.py     the journal lines of one payout, written idempotently with $batch
reconciliation.py  the per-payout report and its CSV
services.py    the entry points flows, views and admin call
"""
