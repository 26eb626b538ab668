// The dataset registry: the one list of what can be exported (a missing definition is a compile error).
import { geographicSummary } from './definitions/geographic-summary';
import { installEvents } from './definitions/install-events';
import { leaderboardHistory } from './definitions/leaderboard-history';
import { marketplaceSummary } from './definitions/marketplace-summary';
import { reputationEvents } from './definitions/reputation-events';
import { reviews } from './definitions/reviews';
import { versionAdoption } from './definitions/version-adoption';
import type { Dataset, DatasetId } from './types';

const registry: Record<DatasetId, Dataset> = {
  install_events: installEvents,
  reviews,
  version_adoption: versionAdoption,
  geographic_summary: geographicSummary,
  reputation_events: reputationEvents,
  marketplace_summary: marketplaceSummary,
  leaderboard_history: leaderboardHistory,
};

export const allDatasets = (): Dataset[] => Object.values(registry);

export function getDataset(id: string): Dataset | undefined {
  return Object.hasOwn(registry, id) ? registry[id as DatasetId] : undefined;
}

/** A dataset's name for people; an unknown id stands for itself. */
export const datasetTitle = (id: string): string => getDataset(id)?.title ?? id;
