// What NestJS 12 on Fastify costs by itself, for the benchmark's table: one controller answering
// `GET /users/me` with the service's own body (copied), behind one global guard that only looks
// for a bearer token. No verification, no logging, no hooks. Started by bench.mjs in its own
// process; settings as baseline-server.mjs (PORT, BASELINE_CONFIG with `meBody`).
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Controller, Get, Header, Injectable, Module, UnauthorizedException } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const { meBody } = JSON.parse(readFileSync(process.env.BASELINE_CONFIG, 'utf8'));

class BearerPresentGuard {
  canActivate(context) {
    const request = context.switchToHttp().getRequest();
    if (request.url === '/health') return true;
    const authorization = request.headers.authorization;
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) throw new UnauthorizedException();
    return true;
  }
}
Injectable()(BearerPresentGuard);

class FloorController {
  me() {
    return meBody;
  }
  health() {
    return { status: 'ok' };
  }
}
Controller()(FloorController);
const me = Object.getOwnPropertyDescriptor(FloorController.prototype, 'me');
Get('users/me')(FloorController.prototype, 'me', me);
Header('content-type', 'application/json; charset=utf-8')(FloorController.prototype, 'me', me);
Get('health')(FloorController.prototype, 'health', Object.getOwnPropertyDescriptor(FloorController.prototype, 'health'));

class FloorModule {}
Module({ controllers: [FloorController], providers: [{ provide: APP_GUARD, useClass: BearerPresentGuard }] })(FloorModule);

const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false });
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT), '127.0.0.1');
