from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from communique import localforms
from communique.accounts.models import User


@admin.register(User)
class CommuniqueUserAdmin(UserAdmin):
    formfield_overrides = localforms.ADMIN_FORMFIELD_OVERRIDES
