from django import forms, template

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.simple_tag
def field_input(bound_field, **attrs):
    """The field's widget, tied to its help text and errors for screen readers (aria-describedby/-invalid).
    Keyword arguments become attributes, `data_code` as `data-code`."""
    attrs = {name.replace("_", "-"): value for name, value in attrs.items()}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_help")
    described_by += [f"{bound_field.auto_id}_error{n}" for n in range(1, len(bound_field.errors) + 1)]
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)
