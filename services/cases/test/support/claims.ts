import { workerClaims } from '@fsp/shared/testing/api-gateway-event';

/** A worker's bearer-token claims as the gateway's authoriser passes them: `groups` as Cognito writes them, "[team-manager]". */
export const claimsOf = (who: { userId: string; name: string; teamId: string | undefined }, groups: string) =>
  workerClaims({
    sub: who.userId,
    'cognito:username': who.name.toLowerCase().replace(' ', '.'),
    name: who.name,
    'cognito:groups': groups,
    'custom:team': who.teamId ?? '',
  });
