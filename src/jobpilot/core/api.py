from ninja import Router, Schema

from jobpilot.core.openapi import schema_example

router = Router(tags=["site"])


class SiteOut(Schema):
    model_config = schema_example(
        {"name": "Acme Robotics", "kind": "employer", "slug": "acme", "domain": "acme.jobpilot.example"}
    )

    name: str
    kind: str  # "marketplace" on the public domain, "employer" on a tenant's domain
    slug: str
    domain: str


@router.get("/site/", response=SiteOut, auth=None, summary="The site this host serves")
def site(request):
    """What this host is: the marketplace or an employer's careers site. White-labeled front ends start here."""
    tenant = request.tenant
    return SiteOut(
        name=tenant.name,
        kind="marketplace" if tenant.is_public else "employer",
        slug=tenant.slug,
        domain=tenant.domain_url or "",
    )
