"""The Editors and Reviewers groups with their permissions (docs/architecture.md, "Roles")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = [
    "articles.view_outlet",
    "articles.view_article",
    "claims.view_claim",
    "claims.view_annotation",
    "claims.view_verdict",
    "claims.view_evidencelink",
]
ROLES = {
    "Editors": VIEW
    + [
        "articles.change_article",
        "articles.add_articlecorrection",
        "claims.add_claim",
        "claims.change_claim",
        "claims.add_annotation",
        "claims.change_annotation",
        "claims.delete_annotation",
        "claims.add_verdict",
        "claims.change_verdict",
        "claims.add_evidencelink",
        "claims.change_evidencelink",
        "claims.delete_evidencelink",
    ],
    "Reviewers": VIEW + ["claims.review_verdict"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after migrate finishes; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("claims", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
