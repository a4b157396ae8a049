"""schema.org descriptions of contributors, for JSON-LD.

A person is a `Person`; a physician stays a `Person` too, with the occupation
"Physician": schema.org's `Physician` type is a MedicalOrganization (a
doctor's practice), and search engines expect an answer's author to be a
Person or an Organization. Only what the profile page itself shows goes in:
never a licence number or an account name.
"""

from __future__ import annotations

import re
from typing import Any

from askwell.core.links import site_url
from askwell.experts.models import Contributor
from askwell.lib.markdown import html_to_text

# Degrees that make someone a physician, as they are written after a name.
PHYSICIAN_DEGREES = {"MD", "DO", "MBBS", "MBCHB", "MBBCH", "BMBS", "MBBCHIR"}


def credential_names(credentials: str) -> list[str]:
    """ "MD, PhD" → ["MD", "PhD"]."""
    return [part.strip() for part in credentials.split(",") if part.strip()]


def is_physician(contributor: Contributor) -> bool:
    return any(
        re.sub(r"[^A-Z]", "", name.upper()) in PHYSICIAN_DEGREES
        for name in credential_names(contributor.credentials)
    )


def contributor_entity(
    contributor: Contributor, *, full: bool = False
) -> dict[str, Any]:
    """The contributor as a Person or an Organization; `full` adds what only
    the profile page shows (the bio and the website)."""
    entity: dict[str, Any] = {
        "@type": "Organization" if contributor.is_organization else "Person",
        "name": contributor.name,
        "url": site_url(contributor.get_absolute_url()),
    }
    if contributor.photo:
        entity["logo" if contributor.is_organization else "image"] = site_url(
            contributor.photo.url
        )
    if not contributor.is_organization:
        names = credential_names(contributor.credentials)
        if names:
            entity["honorificSuffix"] = contributor.credentials
            entity["hasCredential"] = [
                {"@type": "EducationalOccupationalCredential", "name": name}
                for name in names
            ]
        if contributor.specialty:
            entity["jobTitle"] = contributor.specialty
            entity["knowsAbout"] = contributor.specialty
        if is_physician(contributor):
            entity["hasOccupation"] = {"@type": "Occupation", "name": "Physician"}
    if full:
        if description := html_to_text(contributor.bio_html):
            entity["description"] = description
        if contributor.website:
            entity["sameAs"] = [contributor.website]
    return entity


def profile_page(contributor: Contributor) -> dict[str, Any]:
    """The JSON-LD of a contributor's profile page: a ProfilePage about them."""
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": site_url(contributor.get_absolute_url()),
        "mainEntity": contributor_entity(contributor, full=True),
    }
