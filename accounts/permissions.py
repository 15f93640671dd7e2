"""One small way for a view to require a role.

    @role_required(Role.REVIEWER, Role.ADMINISTRATOR)
    def queue(request): ...

    class QueueView(RoleRequiredMixin, ListView):
        required_roles = (Role.REVIEWER,)

Anonymous users are sent to log in; a signed-in user without the role gets 403.
Which objects a role may touch is decided in each app's selectors, not here.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def _check(request, roles):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.has_role(*roles):
        raise PermissionDenied
    return None


def role_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return _check(request, roles) or view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin:
    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        return _check(request, self.required_roles) or super().dispatch(request, *args, **kwargs)
