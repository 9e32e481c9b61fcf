from django.conf import settings

from clinic_portal.core.navigation import ActiveSection, items_for


def clinic(request) -> dict:
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    items = items_for(role)
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "fever_c": settings.CLINIC_FEVER_THRESHOLD_C,
        "nav_items": items,
        "nav_section": ActiveSection(getattr(request, "path", ""), items),
    }
