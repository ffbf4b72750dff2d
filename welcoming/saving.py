"""How every service saves and locks a record, in one place: validated before it is written, the history naming
who acted, a database constraint's refusal turned into a sentence, and one way to take a row's lock."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

CONCURRENT = (
    "Someone saved a change to the same record at the same moment, so nothing was saved. Reload the page and try again."
)


def save(record, *, by, validate_constraints: bool = False):
    """Validate the fields (and, if asked, the constraints: each costs a query) and save; the history names `by`.

    The database enforces the constraints itself. When it refuses, nothing is saved and the refusal comes back
    as the constraint's own sentence (`violation_error_message`, or Django's "already exists" for a unique one),
    never as the database's text; a refusal no constraint explains was a concurrent write."""
    record.full_clean(validate_constraints=validate_constraints)
    record._history_user = by  # the history names who made the change, outside a request too
    if validate_constraints:
        # Every constraint was just checked, so the database can refuse only a write that raced this one; the
        # caller's transaction rolls back, and no savepoint (two more queries) is spent on every save.
        try:
            record.save()
        except IntegrityError:
            raise ValidationError(CONCURRENT) from None
        return record
    try:
        with transaction.atomic():  # a savepoint, so the constraint can be asked which rule was broken
            record.save()
    except IntegrityError:
        raise _explained(record) from None
    return record


def _explained(record) -> ValidationError:
    try:
        record.validate_constraints()
    except ValidationError as error:
        return error
    return ValidationError(CONCURRENT)


def locked(record):
    """The record's row, locked, as a fresh object: the caller's own copy is left as it was, so a step refused
    after it changed the locked copy shows the page its original values."""
    return type(record)._default_manager.select_for_update(of=("self",)).get(pk=record.pk)


def lock(record):
    """Lock the record's row and read it as it is now, into the caller's own object: a change someone else saved
    while the caller held an older copy is kept, not overwritten, and a second writer waits here for the first."""
    record.refresh_from_db(from_queryset=type(record)._default_manager.select_for_update(of=("self",)))
    return record
