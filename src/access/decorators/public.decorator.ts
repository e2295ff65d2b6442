import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'portcullis:isPublic';

/** Marks a route as reachable without a token; every other route needs one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
