from django.dispatch import Signal

# Sent inside the transaction that changed a submission's state, with
# submission=, old_status=, new_status= and action= (the MOVES key). Receivers that enqueue work
# (pdfgen) do it in that same transaction, so the work and the change commit
# together or not at all.
submission_changed = Signal()

# Sent when a submission's personal data is purged (intake.retention), with
# submission_ids=. Apps that keep personal data about a submission (officers'
# edits, PDF errors) erase theirs in the same transaction.
personal_data_purged = Signal()

# Sent inside the resubmit transaction when a resident's fixes change values,
# with submission= and changes= [(field key, value before, value after)]:
# officer_console keeps them, so the check view marks what changed.
values_corrected = Signal()
