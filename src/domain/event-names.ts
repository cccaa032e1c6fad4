import type { HistoryEntryType } from './history.js';

/** The public name of each kind of change: the `ArtifactEventType` enum, and the `event` a webhook receives. */
export const EVENT_TYPE_NAMES = {
  ArtifactRegistered: 'REGISTERED',
  ArtifactUpdated: 'UPDATED',
  ArtifactDeleted: 'DELETED',
  ModelRated: 'RATED',
  FileAdded: 'FILE_ADDED',
  FileDownloaded: 'FILE_DOWNLOADED',
  MirrorStatusChanged: 'MIRROR_STATUS_CHANGED',
  ArtifactLinked: 'LINKED',
  AliasMoved: 'ALIAS_MOVED',
} as const satisfies Record<HistoryEntryType, string>;

export type EventTypeName = (typeof EVENT_TYPE_NAMES)[HistoryEntryType];

export const EVENT_TYPE_BY_NAME = Object.fromEntries(Object.entries(EVENT_TYPE_NAMES).map(([type, name]) => [name, type])) as Record<EventTypeName, HistoryEntryType>;
