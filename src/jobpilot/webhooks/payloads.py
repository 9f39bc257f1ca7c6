"""The `data` of each event: ids, links and labels, never the candidate's personal data (name, email, resume,
answers) or internal notes. A receiver that needs more reads it from the employer API with its own key, where
roles and the plan apply. Links are absolute, on the employer's primary domain."""

from tenants.selectors import tenant_site_origin


def _links(tenant, *, url: str, api_url: str) -> dict:
    origin = tenant_site_origin(tenant)
    return {"url": f"{origin}{url}", "api_url": f"{origin}/api/v1{api_url}"}


def job_data(tenant, posting) -> dict:
    return {
        "id": str(posting.public_id),
        "title": posting.title,
        "status": posting.status,
        "closed_reason": posting.closed_reason or None,
        **_links(tenant, url=f"/jobs/{posting.public_id}/", api_url=f"/employer/jobs/{posting.public_id}/"),
    }


def stage_data(stage) -> dict | None:
    if stage is None:
        return None
    return {"id": stage.pk, "name": stage.name, "public_status": stage.public_status}


def application_data(tenant, application, *, previous_stage=None) -> dict:
    data = {
        "application": {
            "id": application.pk,
            "source": application.source,
            "created_at": application.created_at.isoformat(),
            "withdrawn_at": application.withdrawn_at.isoformat() if application.withdrawn_at else None,
            "rejection_reason": application.rejection_reason or None,
            **_links(
                tenant,
                url=f"/console/applications/{application.pk}/",
                api_url=f"/employer/applications/{application.pk}/",
            ),
        },
        "job": job_data(tenant, application.job),
        "stage": stage_data(application.stage),
    }
    if previous_stage is not None:
        data["previous_stage"] = stage_data(previous_stage)
    return data


def interview_data(tenant, interview, application) -> dict:
    return {
        "interview": {
            "id": interview.pk,
            "status": interview.status,
            "kind": interview.kind,
            "starts_at": interview.starts_at.isoformat(),
            "duration_minutes": interview.duration_minutes,
            "interviewer_count": len(interview.interviewers),
        },
        **application_data(tenant, application),
    }


def scorecard_data(tenant, scorecard, application) -> dict:
    return {
        "scorecard": {
            "id": scorecard.pk,
            "author_user_id": scorecard.author_id,
            "overall": scorecard.overall,
            "recommendation": scorecard.recommendation or None,
        },
        **application_data(tenant, application),
    }


def member_data(membership) -> dict:
    return {"member": {"id": membership.pk, "user_id": membership.user_id, "role": membership.role}}
