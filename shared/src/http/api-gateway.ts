/**
 * The parts of API Gateway HTTP API (payload format 2.0) events and results the platform uses.
 * Declared here rather than taken from @types/aws-lambda to keep that package out of the tree;
 * the local gateway builds exactly these shapes.
 */

/** JWT claims as the gateway passes them: every value a string (arrays arrive as `"[a b]"`), though the local gateway may pass real arrays and numbers. */
export type JwtClaims = Record<string, string | number | boolean | string[]>;

export interface ApiGatewayV2Event {
  version: '2.0';
  /** `POST /v1/referrals` or `$default`. */
  routeKey: string;
  /** The path as requested, still percent-encoded. */
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  /** Lower-cased names; repeated headers joined with commas. */
  headers: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  stageVariables?: Record<string, string | undefined>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix?: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
    /**
     * Present only on protected routes, after the gateway verified the token: `jwt` from a JWT
     * authorizer (workers), `lambda` from the partner authorizer's simple response context.
     */
    authorizer?: { jwt?: { claims: JwtClaims; scopes: string[] | null }; lambda?: Record<string, string | number | boolean> };
  };
  body?: string;
  isBase64Encoded: boolean;
}

export interface ApiGatewayV2Result {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** The few Lambda context fields the handler reads; all optional so tests and the local cloud can omit them. */
export interface LambdaContextLike {
  awsRequestId?: string;
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
}
