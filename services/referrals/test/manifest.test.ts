import { resolve } from 'node:path';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { describeServiceManifest } from '@fsp/shared/testing/manifest';
import { manifest } from '../service';
import { adminRoutes } from '../src/handlers/admin-api';
import { frontDoorApiRoutes } from '../src/handlers/api';
import { partnerRoutes } from '../src/handlers/partner-api';
import { publicRoutes } from '../src/handlers/public-api';

describeServiceManifest({
  manifest,
  serviceDirectory: resolve(__dirname, '..'),
  routes: { http: frontDoorApiRoutes, 'partner-api': partnerRoutes, public: publicRoutes, admin: adminRoutes },
  entryPointTests: {
    "shows the front door's queue through the HTTP entry": async ({ http }) => {
      const frontDoor = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door' });
      const response = await http(apiGatewayEvent({ path: '/front-door/referrals', claims: frontDoor }));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body!)).toEqual({ referrals: [] });
    },
  },
});
