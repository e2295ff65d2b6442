import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Housekeeping } from './housekeeping.service.js';

@Module({ imports: [DiscoveryModule], providers: [Housekeeping] })
export class HousekeepingModule {}
