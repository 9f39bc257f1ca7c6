"""Branding services: who may change it, what is refused (unreadable colours, unsafe links and CSS, non-images),
and that saves are atomic under concurrency."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from jobpilot.core.errors import Invalid, NotFound, PermissionDenied
from tenants import branding as rules
from tenants.models import Branding
from tenants.selectors import branding_for
from tenants.services import KEEP, branding_update
from tests.conftest import owner_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("branding_plan")]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
READABLE = {
    "primary_color": "#1D4ED8",
    "primary_text_color": "#ffffff",
    "accent_color": "#0f766e",
    "font": "serif",
}


def save(tenant, actor=None, **changes):
    return branding_update(actor=actor or owner_of(tenant), tenant=tenant, **{**READABLE, **changes})


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert rules.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert rules.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert rules.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert rules.contrast_ratio("#ffffff", "#767676") == pytest.approx(4.54, abs=0.01)


def test_one_of_black_or_white_always_reads_on_any_colour():
    for value in ("#777777", "#ff0000", "#00ff00", "#0000ff", "#ffff00", "#808080", "#4338ca"):
        assert rules.contrast_ratio(rules.readable_text_on(value), value) >= rules.MINIMUM_TEXT_CONTRAST


def test_a_tenant_without_saved_branding_reads_the_defaults(tenant_a):
    branding = branding_for(tenant=tenant_a)
    assert branding.pk is None
    assert branding.primary_color == rules.DEFAULT_PRIMARY
    assert branding.show_powered_by is True


def test_the_owner_saves_branding_and_reads_it_back_normalised(tenant_a):
    save(
        tenant_a,
        hero_title="  Build robots with us  ",
        footer_links=[
            {"label": "Privacy", "url": "https://acme.example/privacy"},
            {"label": "Team", "url": "/"},
        ],
        custom_css_variables={"--radius": "12px"},
        show_powered_by=False,
    )
    branding = branding_for(tenant=tenant_a)
    assert branding.primary_color == "#1d4ed8"
    assert branding.hero_title == "Build robots with us"
    assert branding.footer_links[0] == {"label": "Privacy", "url": "https://acme.example/privacy"}
    assert branding.show_powered_by is False
    assert rules.css_variables(branding, custom_design=True)["--radius"] == "12px"


def test_white_text_on_a_yellow_primary_is_refused_with_its_ratio(tenant_a):
    with pytest.raises(Invalid) as refused:
        save(tenant_a, primary_color="#ffff00", primary_text_color="#ffffff")
    assert refused.value.status == 422
    assert refused.value.code == "contrast_too_low"
    assert refused.value.extra["field"] == "primary_text_color"
    assert refused.value.extra["ratio"] == pytest.approx(1.07, abs=0.01)
    assert "4.5:1" in refused.value.detail
    assert not Branding.objects.filter(tenant=tenant_a).exists()


def test_a_light_accent_that_links_would_be_unreadable_in_is_refused(tenant_a):
    with pytest.raises(Invalid) as refused:
        save(tenant_a, accent_color="#7dd3fc")
    assert refused.value.code == "contrast_too_low"
    assert refused.value.extra["field"] == "accent_color"


@pytest.mark.parametrize("value", ["red", "#fff", "#12345g", "", "#1234567"])
def test_a_colour_that_is_not_rrggbb_is_refused(tenant_a, value):
    with pytest.raises(Invalid) as refused:
        save(tenant_a, primary_color=value)
    assert refused.value.code == "invalid_color"


def test_a_recruiter_cannot_change_the_branding(tenant_a, make_member):
    recruiter = make_member(tenant_a, "recruiter")
    with pytest.raises(PermissionDenied):
        save(tenant_a, actor=recruiter)


def test_an_admin_can_change_the_branding(tenant_a, make_member):
    admin = make_member(tenant_a, "admin")
    assert save(tenant_a, actor=admin, hero_title="By an admin").hero_title == "By an admin"


def test_an_owner_of_another_tenant_gets_not_found(tenant_a, tenant_b):
    with pytest.raises(NotFound):
        save(tenant_b, actor=owner_of(tenant_a))


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,hi", "//evil.example", "/\\evil.example", "ftp://x.example"],
)
def test_a_footer_link_that_could_run_script_or_leave_oddly_is_refused(tenant_a, url):
    with pytest.raises(Invalid) as refused:
        save(tenant_a, footer_links=[{"label": "Click", "url": url}])
    assert refused.value.extra["field"] == "footer_links"


def test_more_than_six_footer_links_are_refused(tenant_a):
    links = [{"label": f"L{n}", "url": "/"} for n in range(7)]
    with pytest.raises(Invalid):
        save(tenant_a, footer_links=links)


@pytest.mark.parametrize(
    "tokens",
    [
        {"--brand-primary": "#ffff00"},  # would bypass the contrast check
        {"--radius": "1px;}</style><script>alert(1)</script>"},
        {"--radius": "url(https://tracker.example/x)"},
        {"--heading-weight": "bold"},
        {"color": "red"},
    ],
)
def test_a_design_token_outside_the_tunable_set_or_grammar_is_refused(tenant_a, tokens):
    with pytest.raises(Invalid) as refused:
        save(tenant_a, custom_css_variables=tokens)
    assert refused.value.code == "invalid_css_variable"


def test_the_css_variables_hold_only_validated_values(tenant_a):
    save(
        tenant_a,
        custom_css_variables={"--radius": "0", "--content-width": "64rem", "--heading-weight": "800"},
    )
    variables = rules.css_variables(branding_for(tenant=tenant_a), custom_design=True)
    assert variables["--brand-primary"] == "#1d4ed8"
    assert variables["--brand-font"] == rules.FONT_STACKS["serif"]
    assert all("<" not in value and ";" not in value and "}" not in value for value in variables.values())


def test_a_logo_is_stored_under_the_tenant_with_a_random_name(tenant_a, media_root):
    branding = save(tenant_a, logo=SimpleUploadedFile("my logo.png", PNG, content_type="image/png"))
    assert branding.logo.name.startswith(f"branding/{tenant_a.schema_name}/logo-")
    assert branding.logo.name.endswith(".png")
    assert (media_root / branding.logo.name).read_bytes() == PNG


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("logo.svg", b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("logo.png", b"%PDF-1.7 not an image"),
    ],
)
def test_a_logo_is_judged_by_its_content_not_its_name(tenant_a, media_root, name, content):
    with pytest.raises(Invalid) as refused:
        save(tenant_a, logo=SimpleUploadedFile(name, content, content_type="image/png"))
    assert refused.value.code == "invalid_file"


def test_a_logo_over_one_megabyte_is_refused(tenant_a, media_root):
    big = SimpleUploadedFile("big.png", PNG + b"\0" * (1024 * 1024), content_type="image/png")
    with pytest.raises(Invalid) as refused:
        save(tenant_a, logo=big)
    assert refused.value.code == "file_too_large"


def test_replacing_the_logo_deletes_the_old_file_once_committed(
    tenant_a, media_root, django_capture_on_commit_callbacks
):
    first = save(tenant_a, logo=SimpleUploadedFile("a.png", PNG)).logo.name
    with django_capture_on_commit_callbacks(execute=True):
        second = save(tenant_a, logo=SimpleUploadedFile("b.png", PNG)).logo.name
    assert second != first
    assert not (media_root / first).exists()
    assert (media_root / second).exists()

    with django_capture_on_commit_callbacks(execute=True):
        kept = save(tenant_a, logo=KEEP).logo.name
    assert kept == second
    with django_capture_on_commit_callbacks(execute=True):
        assert not save(tenant_a, logo=None).logo
    assert not (media_root / second).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_saves_leave_one_row_with_one_of_the_payloads(tenant_a, make_member):
    admins = [make_member(tenant_a, "admin") for _ in range(6)]
    colours = ["#1d4ed8", "#b91c1c", "#166534", "#7c3aed", "#9a3412", "#0f172a"]
    barrier = threading.Barrier(len(admins))
    errors = []

    def run(admin, colour):
        try:
            barrier.wait()
            save(tenant_a, actor=admin, primary_color=colour)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(admins, colours, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Branding.objects.filter(tenant=tenant_a).count() == 1
    assert branding_for(tenant=tenant_a).primary_color in colours
