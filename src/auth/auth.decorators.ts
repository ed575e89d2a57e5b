import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Principal, Role } from './principal';

export const IS_PUBLIC = 'deskline:public';
export const REQUIRED_ROLE = 'deskline:role';
export const REQUIRED_SCOPE = 'deskline:scope';

export const Public = () => SetMetadata(IS_PUBLIC, true);
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
export const AdminOnly = () => RequireRole('admin');
export const RequireScope = (scope: string) => SetMetadata(REQUIRED_SCOPE, scope);

export function requestOf(context: ExecutionContext): { headers: Record<string, string | string[] | undefined>; user?: Principal } {
  if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getContext().req;
  return context.switchToHttp().getRequest();
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = requestOf(context).user;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
