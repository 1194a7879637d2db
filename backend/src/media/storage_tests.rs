use super::*;

#[tokio::test]
async fn a_file_put_on_disk_reads_back_whole_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = MediaStorage::Disk(DiskStorage::new(&dir.path().join("media")));
    storage
        .put("abc-card.jpg", b"picture".to_vec())
        .await
        .expect("put");
    assert_eq!(
        storage.get("abc-card.jpg").await.expect("get"),
        Some(b"picture".to_vec())
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
    let storage = MediaStorage::Disk(DiskStorage::new(dir.path()));
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
    let storage = MediaStorage::Disk(DiskStorage::new(&dir.path().join("media")));
    assert_eq!(storage.get("../secret").await.expect("get"), None);
    assert_eq!(storage.get(".hidden").await.expect("get"), None);
    assert!(storage.put("a/b.jpg", vec![1]).await.is_err());
    assert!(storage.put("UPPER.jpg", vec![1]).await.is_err());
}
