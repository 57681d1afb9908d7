def test_it_shows_the_home_page_in_chinese(world, login):
    response = login(world.station).get("/")
    assert response.status_code == 200
    assert "乌伦古乡" in response.content.decode()
