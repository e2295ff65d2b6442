/** Names of the OpenAPI security schemes (Swagger UI's Authorize dialog). */
export const BEARER_SECURITY = 'bearer';
export const OAUTH2_SECURITY = 'oauth2';
