use super::*;

/// Disk storage that keeps nothing in memory: every read goes to the file.
fn disk(dir: &Path) -> MediaStorage {
    MediaStorage::new(Store::Disk(DiskStorage::new(dir)), KeptFiles::new(0))
}

#[tokio::test]
async fn a_file_put_on_disk_reads_back_whole_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = disk(&dir.path().join("media"));
    storage
        .put("abc-card.jpg", b"picture".to_vec())
        .await
        .expect("put");
    assert_eq!(
        storage.get("abc-card.jpg").await.expect("get").as_deref(),
        Some(&b"picture"[..])
    );
    let names: Vec<String> = std::fs::read_dir(dir.path().join("media"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["abc-card.jpg".to_owned()]);
}

#[tokio::test]
async fn a_deleted_or_unknown_key_reads_as_nothing_and_deleting_twice_succeeds() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = disk(dir.path());
    storage.put("k.jpg", vec![1, 2, 3]).await.expect("put");
    storage.delete("k.jpg").await.expect("delete");
    storage.delete("k.jpg").await.expect("delete again");
    assert_eq!(storage.get("k.jpg").await.expect("get"), None);
    assert_eq!(storage.get("never.jpg").await.expect("get"), None);
}

#[tokio::test]
async fn a_key_that_could_leave_the_directory_is_never_read_or_written() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("secret"), b"no").expect("write");
    let storage = disk(&dir.path().join("media"));
    assert_eq!(storage.get("../secret").await.expect("get"), None);
    assert_eq!(storage.get(".hidden").await.expect("get"), None);
    assert!(storage.put("a/b.jpg", vec![1]).await.is_err());
    assert!(storage.put("UPPER.jpg", vec![1]).await.is_err());
}

#[tokio::test]
async fn a_small_file_once_read_is_served_from_memory_until_this_node_deletes_it() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = MediaStorage::new(
        Store::Disk(DiskStorage::new(dir.path())),
        KeptFiles::new(1024 * 1024),
    );
    storage
        .put("t-thumbnail.jpg", vec![7; 100])
        .await
        .expect("put");
    assert!(storage.get("t-thumbnail.jpg").await.expect("get").is_some());
    std::fs::remove_file(dir.path().join("t-thumbnail.jpg")).expect("remove behind its back");
    assert_eq!(
        storage
            .get("t-thumbnail.jpg")
            .await
            .expect("get")
            .as_deref(),
        Some(&[7; 100][..]),
        "read from memory, not from the disk"
    );
    storage
        .put("t-thumbnail.jpg", vec![7; 100])
        .await
        .expect("put");
    storage.delete("t-thumbnail.jpg").await.expect("delete");
    assert_eq!(storage.get("t-thumbnail.jpg").await.expect("get"), None);
}

#[tokio::test]
async fn a_large_file_is_read_from_storage_each_time() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = MediaStorage::new(
        Store::Disk(DiskStorage::new(dir.path())),
        KeptFiles::new(64 * 1024 * 1024),
    );
    let large = vec![1; super::super::kept_files::MAX_FILE_BYTES + 1];
    storage.put("l-banner.jpg", large).await.expect("put");
    assert!(storage.get("l-banner.jpg").await.expect("get").is_some());
    std::fs::remove_file(dir.path().join("l-banner.jpg")).expect("remove");
    assert_eq!(storage.get("l-banner.jpg").await.expect("get"), None);
}

#[tokio::test]
async fn a_file_deleted_by_another_node_is_served_from_memory_no_longer_than_the_max_age() {
    let dir = tempfile::tempdir().expect("dir");
    // Two nodes on one store: one that keeps files for a moment, one that deletes.
    let reader = MediaStorage::new(
        Store::Disk(DiskStorage::new(dir.path())),
        KeptFiles::with_max_age(1024 * 1024, std::time::Duration::from_millis(50)),
    );
    let deleter = disk(dir.path());
    reader.put("o-card.jpg", vec![3; 10]).await.expect("put");
    assert!(reader.get("o-card.jpg").await.expect("get").is_some());
    deleter.delete("o-card.jpg").await.expect("delete");
    assert!(
        reader.get("o-card.jpg").await.expect("get").is_some(),
        "still kept"
    );
    tokio::time::sleep(std::time::Duration::from_millis(60)).await;
    assert_eq!(reader.get("o-card.jpg").await.expect("get"), None);
}
