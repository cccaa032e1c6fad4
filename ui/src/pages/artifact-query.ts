import { graphql, type ResultOf } from '../graphql';

/**
 * The artifact page's main query. With `asOf` the registry folds the artifact's events up to that
 * instant (time travel); without it, the current state.
 */
export const ArtifactDetail = graphql(`
  query ArtifactDetail($id: ID!, $asOf: DateTime) {
    viewer { user { permissions } }
    artifact(id: $id, asOf: $asOf) {
      id type name url version createdAt updatedAt storedBytes
      files { path size sha256 contentType }
      cost(includeDependencies: true) { standaloneBytes totalBytes items { artifact { id name type } standaloneBytes sizeKnown } }
      ... on Model {
        rating {
          ratedAt
          netScore { value explanation latencySeconds }
          rampUpTime { value explanation latencySeconds }
          busFactor { value explanation latencySeconds }
          performanceClaims { value explanation latencySeconds }
          license { value explanation latencySeconds }
          datasetAndCodeScore { value explanation latencySeconds }
          datasetQuality { value explanation latencySeconds }
          codeQuality { value explanation latencySeconds }
          reproducibility { value explanation latencySeconds }
          reviewedness { value explanation latencySeconds }
          treeScore { value explanation latencySeconds }
          sizeScore { raspberryPi jetsonNano desktopPc awsServer explanation latencySeconds }
        }
        lineage { nodes { id name } edges { parent { id } child { id } relationship source } unresolvedParents truncated }
        datasets { id name url }
        code { id name url }
      }
    }
  }
`);

/**
 * One page of the artifact's history, with the typed `change` union. Fields whose types differ
 * between members (`name`, `url`, `netScore`, `path`) are aliased: GraphQL refuses one response key
 * with two shapes. A query of its own, a page of 30 at a time: the history pages (and filters)
 * without reloading the artifact, and a long history does not delay the rest of the page.
 */
export const ArtifactHistory = graphql(`
  query ArtifactHistory($id: ID!, $asOf: DateTime, $after: String, $types: [ArtifactEventType!], $from: DateTime, $to: DateTime) {
    artifact(id: $id, asOf: $asOf) {
      id
      history(first: 30, after: $after, types: $types, from: $from, to: $to) {
        edges {
          node {
            version type at actor
            change {
              __typename
              ... on AliasMovedChange { alias aliasName: name from to }
              ... on DeletedChange { deleted }
              ... on DownloadedChange { downloadedPath: path }
              ... on FileAddedChange { path size contentType sha256 }
              ... on LinkedChange { links { kind reference relationship targetId } }
              ... on MirrorStatusChange { status { state filesDone filesTotal bytesDone error } }
              ... on RatedChange { netScore ratedAt }
              ... on RegisteredChange { artifactType registeredName: name registeredUrl: url registeredScore: netScore source }
              ... on UpdatedChange { renamed: name { from to } repointed: url { from to } updatedScore: netScore }
            }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

type History = NonNullable<ResultOf<typeof ArtifactHistory>['artifact']>['history'];
export type HistoryItem = History['edges'][number]['node'];
export type HistoryChange = HistoryItem['change'];
