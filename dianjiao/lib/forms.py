"""What every app's forms share."""


def add_service_errors(form, exc, field_map=None) -> None:
    """Put a service's ValidationError next to the form fields it names (`field_map` renames a
    service's field to the form's), and whatever names no field of the form above the form."""
    field_map = field_map or {}
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, messages in errors.items():
        target = field_map.get(name, name)
        form.add_error(target if target in form.fields else None, messages)


def run_service(form, service, **kwargs):
    """Call `service(**kwargs)` and return what it returns; on a ValidationError put the refusal
    onto `form` (see add_service_errors) and return None, so the view shows the form again."""
    from django.core.exceptions import ValidationError

    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
