"""Export approved expenses from Python into a file, each exactly once: the ledger remembers
what was exported, so a second run exports nothing new (a scheduler can run this hourly)."""

import expense_facade as ef

with ef.connect("brex", sandbox=True) as client:  # for the real API: token="..."
    summary = ef.export_approved(client, "approved.jsonl", ledger="ledger.sqlite3")
print(f"exported {summary.exported}, skipped {summary.skipped} already exported")
# Vendor errors, refused marks and unreadable records are reported here, never raised.
for problem in (*summary.errors, *summary.failed):
    print(f"  {problem.vendor} {problem.expense_id or '-'}: {problem.reason}")
for record in summary.malformed:
    print(f"  unreadable {record.vendor} {record.record_id}: {record.reason}")
if not summary.ok:
    raise SystemExit(1)
