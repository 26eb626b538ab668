// Once per jest run: migrate the template database each test file clones.
import { prepareTemplate } from '@ax/testing';

export default async function globalSetup(): Promise<void> {
  await prepareTemplate();
}
