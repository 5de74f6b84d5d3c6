import pytest
from django.contrib.auth.models import Group

from factcheck import roles


@pytest.mark.django_db
def test_roles_exist_with_their_permissions():
    editors = Group.objects.get(name=roles.EDITORS)
    reviewers = Group.objects.get(name=roles.REVIEWERS)
    assert editors.permissions.filter(codename="add_annotation").exists()
    assert not editors.permissions.filter(codename="review_verdict").exists()
    assert reviewers.permissions.filter(codename="review_verdict").exists()
    assert not reviewers.permissions.filter(codename="add_annotation").exists()
