// The dataset registry: the one list of what can be exported.
import { installEvents } from './definitions/install-events';
import type { Dataset, DatasetId } from './types';

const registry: Partial<Record<DatasetId, Dataset>> = {
  install_events: installEvents,
};

export const allDatasets = (): Dataset[] => Object.values(registry);

export function getDataset(id: string): Dataset | undefined {
  return (registry as Record<string, Dataset | undefined>)[id];
}
